-- params: notice, river, township, unit, year
-- Problems found in the year, in their state on the chosen notice, with what the page counts.
SELECT
    p.problem_id,
    p.title,
    p.source,
    p.chief_level,
    p.severity,
    p.status,
    p.found_date,
    p.deadline,
    p.rectified_date,
    p.closed_date,
    p.reopened_date,
    p.light,
    p.unit_id,
    u.name AS unit_name,
    u.kind AS unit_kind,
    t.name AS township_name,
    r.name AS river_name,
    p.river_id,
    p.lon,
    p.lat,
    CASE WHEN p.rectified_date IS NULL THEN days_overdue(p.deadline, $notice) END
        AS days_overdue,
    CASE WHEN p.rectified_date IS NOT NULL THEN date_diff('day', p.found_date, p.rectified_date) END
        AS days_to_rectify
FROM scoped_problems($township, $river, $unit) AS p
LEFT JOIN units AS u USING (unit_id)
LEFT JOIN townships AS t ON t.township_id = p.township_id
LEFT JOIN rivers AS r ON r.river_id = p.river_id
WHERE p.notice_date = $notice
  AND year(p.found_date) = $year
ORDER BY p.found_date, p.problem_id
