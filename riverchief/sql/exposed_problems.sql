-- params: notice, river, township, unit, year
-- The exposed prominent problems (曝光) of the year's list, in their state on the chosen notice.
SELECT i.item_id, i.title, u.name AS unit_name, r.name AS river_name, i.start_date AS exposed_on, i.deadline,
       i.status, i.done_date, i.light, i.light_reason
FROM scoped_items($township, $river, 'problem', $unit) AS i
LEFT JOIN units AS u USING (unit_id)
LEFT JOIN rivers AS r USING (river_id)
WHERE i.notice_date = $notice AND i.list_year = $year AND i.exposed
ORDER BY i.item_id
