-- params: list, notice, river, township, unit
-- Lights per list (三张清单) on the chosen notice.
SELECT
    list,
    count(*) FILTER (WHERE light = 'red') AS red,
    count(*) FILTER (WHERE light = 'yellow') AS yellow,
    count(*) FILTER (WHERE light = 'green') AS green
FROM scoped_items($township, $river, $list, $unit)
WHERE notice_date = $notice
GROUP BY list
ORDER BY CASE list WHEN 'major' THEN 1 WHEN 'task' THEN 2 ELSE 3 END
