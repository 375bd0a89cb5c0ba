-- params: notice
-- Problems not yet closed on the notice date, with where they are and their light.
SELECT
    p.problem_id,
    p.title,
    p.source,
    p.severity,
    p.status,
    p.found_date,
    p.deadline,
    p.lon,
    p.lat,
    p.light,
    p.light_reason,
    r.name AS river_name,
    p.unit_id,
    u.name AS unit_name
FROM problems AS p
LEFT JOIN rivers AS r USING (river_id)
LEFT JOIN units AS u USING (unit_id)
WHERE p.notice_date = $notice
  AND p.status <> '已销号'
  AND p.lon IS NOT NULL AND p.lat IS NOT NULL
ORDER BY p.light = 'green', p.problem_id
