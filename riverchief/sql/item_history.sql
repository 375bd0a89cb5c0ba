-- One item in every notice it appears on: light, reason, progress against schedule, override.
SELECT
    i.*,
    u.name AS unit_name,
    u.kind AS unit_kind,
    r.name AS river_name,
    t.name AS township_name
FROM items AS i
LEFT JOIN units AS u USING (unit_id)
LEFT JOIN rivers AS r USING (river_id)
LEFT JOIN townships AS t ON t.township_id = i.township_id
WHERE i.item_id = $item
ORDER BY i.notice_date
