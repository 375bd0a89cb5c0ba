-- params: notice, year
-- Every red and yellow light counted in the assessment year, for the export.
SELECT u.name AS unit_name, i.notice_date, i.item_id, i.title, i.light
FROM items AS i
JOIN units AS u USING (unit_id)
WHERE year(i.notice_date) = $year AND i.notice_date <= $notice AND i.light IN ('red', 'yellow')
ORDER BY u.name, i.notice_date, i.item_id
