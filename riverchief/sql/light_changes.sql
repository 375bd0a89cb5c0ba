-- params: list, notice, river, township, unit
-- What changed on the chosen notice against the previous one, item by item:
-- closed (done since the last notice), newly red, newly yellow, back to green, still red (overdue longer),
-- new on the list, or unchanged.
WITH before AS (
    SELECT item_id, light FROM items WHERE notice_date = previous_notice($notice)
)
SELECT
    i.item_id,
    i.title,
    i.list,
    u.name AS unit_name,
    i.light,
    b.light AS prev_light,
    CASE
        WHEN i.done_date > previous_notice($notice) AND i.done_date <= $notice THEN 'closed'
        WHEN b.item_id IS NULL THEN 'new'
        WHEN i.light = 'red' AND b.light <> 'red' THEN 'newly_red'
        WHEN i.light = 'yellow' AND b.light <> 'yellow' THEN 'newly_yellow'
        WHEN i.light = 'green' AND b.light <> 'green' THEN 'back_to_green'
        WHEN i.light = 'red' THEN 'still_red'
        ELSE 'unchanged'
    END AS change,
    days_overdue(i.deadline, $notice) AS days_overdue
FROM scoped_items($township, $river, $list, $unit) AS i
LEFT JOIN before AS b USING (item_id)
LEFT JOIN units AS u ON u.unit_id = i.unit_id
WHERE i.notice_date = $notice
ORDER BY i.item_id
