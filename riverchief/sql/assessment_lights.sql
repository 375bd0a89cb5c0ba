-- params: notice, year
-- Lights per unit and notice in the assessment year, up to the chosen notice.
SELECT
    unit_id,
    notice_date,
    count(*) AS items,
    count(*) FILTER (WHERE light = 'red') AS red,
    count(*) FILTER (WHERE light = 'yellow') AS yellow
FROM items
WHERE year(notice_date) = $year
  AND notice_date <= $notice
GROUP BY ALL
ORDER BY unit_id, notice_date
