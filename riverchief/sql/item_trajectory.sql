-- params: list, notice, river, township, unit
-- Every item's progress and light on every notice up to the chosen one, under the filters: what the early
-- warning extrapolates (the last notices) and replays (all of them) to show how good it has been.
SELECT
    i.item_id,
    i.notice_date,
    i.title,
    i.list,
    i.unit_id,
    u.name AS unit_name,
    i.start_date,
    i.deadline,
    i.progress,
    i.done_date,
    i.light
FROM scoped_items($township, $river, $list, $unit) AS i
LEFT JOIN units AS u USING (unit_id)
WHERE i.notice_date <= $notice
ORDER BY i.item_id, i.notice_date
