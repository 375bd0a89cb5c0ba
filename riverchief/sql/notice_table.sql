-- params: list, notice, river, township, unit
-- The three-colour list of a notice: every item under the filters with its light, red first.
SELECT
    i.item_id,
    i.list,
    i.title,
    u.name AS unit_name,
    r.name AS river_name,
    t.name AS township_name,
    i.deadline,
    i.progress,
    i.light,
    i.override_light IS NOT NULL AS overridden,
    i.light_reason
FROM scoped_items($township, $river, $list, $unit) AS i
LEFT JOIN units AS u ON u.unit_id = i.unit_id
LEFT JOIN rivers AS r ON r.river_id = i.river_id
LEFT JOIN townships AS t ON t.township_id = i.township_id
WHERE i.notice_date = $notice
ORDER BY CASE i.light WHEN 'red' THEN 1 WHEN 'yellow' THEN 2 ELSE 3 END, u.name, i.item_id
