-- params: notice, river, township, unit, year
-- One-river-one-policy tasks of the year on every notice up to the chosen one: progress as reported,
-- and the schedule progress it should have reached (序时进度) — for the S-curve and the tables.
-- Standing tasks (no deadline) have no progress to measure and are left out.
SELECT
    i.notice_date,
    i.item_id,
    i.title,
    i.river_id,
    rv.name AS river_name,
    rv.lead_unit_id,
    lu.name AS lead_unit_name,
    u.name AS unit_name,
    i.target_qty,
    i.target_unit,
    i.done_qty,
    i.progress,
    i.start_date,
    i.deadline,
    i.expected AS planned,  -- stored by the light rule at publish (lights.with_lights)
    i.done_date,
    i.light,
    i.lit_tolerance  -- the tolerance that light was given with (a notice keeps its own)
FROM scoped_items($township, $river, 'task', $unit) AS i
LEFT JOIN rivers AS rv ON rv.river_id = i.river_id
LEFT JOIN units AS lu ON lu.unit_id = rv.lead_unit_id
LEFT JOIN units AS u ON u.unit_id = i.unit_id
WHERE i.list_year = $year AND i.notice_date <= $notice AND year(i.notice_date) = $year AND i.deadline IS NOT NULL
ORDER BY i.notice_date, i.item_id
