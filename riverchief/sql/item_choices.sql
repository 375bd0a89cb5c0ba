-- params: list, notice, river, township, unit
-- Items on a notice under the shared filters, worst light first: what the item page can open.
SELECT item_id, title, light, unit_id
FROM scoped_items($township, $river, $list, $unit)
WHERE notice_date = $notice
ORDER BY CASE light WHEN 'red' THEN 1 WHEN 'yellow' THEN 2 ELSE 3 END, item_id
