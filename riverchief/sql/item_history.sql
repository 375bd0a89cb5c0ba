-- params: item
-- One item in every notice it appears on: light, reason, progress against schedule, override.
SELECT
    i.*,
    u.name AS unit_name,
    u.kind AS unit_kind,
    r.name AS river_name,
    t.name AS township_name,
    -- several units or rivers in one cell: the others, by name, in the order written
    (SELECT string_agg(c.name, '、' ORDER BY list_position(string_split(i.co_unit_ids, '、'), c.unit_id))
       FROM units AS c WHERE list_contains(string_split(i.co_unit_ids, '、'), c.unit_id)) AS co_unit_names,
    (SELECT string_agg(c.name, '、' ORDER BY list_position(string_split(i.co_river_ids, '、'), c.river_id))
       FROM rivers AS c WHERE list_contains(string_split(i.co_river_ids, '、'), c.river_id)) AS co_river_names
FROM items AS i
LEFT JOIN units AS u USING (unit_id)
LEFT JOIN rivers AS r USING (river_id)
LEFT JOIN townships AS t ON t.township_id = i.township_id
WHERE i.item_id = $item
ORDER BY i.notice_date
