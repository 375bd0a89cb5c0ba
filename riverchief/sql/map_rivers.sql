-- params: month, notice
-- Every river with what the map colours it by: its sections' classes in the month (worst, and the mean
-- of their concentrations) and the worst light of its items on the notice.
WITH month_sections AS (
    SELECT s.river_id, s.water_body, m.*
    FROM sections AS s
    JOIN readings_monthly AS m ON m.section_id = s.section_id AND m.month = $month
),
classes AS (
    SELECT
        river_id,
        count(*) AS sections,
        max(water_class) AS worst_class,
        avg(tp) AS tp,
        avg(nh3n) AS nh3n,
        avg(codmn) AS codmn,
        avg("do") AS "do",
        count(*) FILTER (WHERE water_body = 'lake') AS lake_sections
    FROM month_sections
    GROUP BY river_id
),
lights AS (
    SELECT
        river_id,
        count(*) AS items,
        count(*) FILTER (WHERE light = 'red') AS red,
        count(*) FILTER (WHERE light = 'yellow') AS yellow,
        CASE WHEN bool_or(light = 'red') THEN 'red' WHEN bool_or(light = 'yellow') THEN 'yellow' ELSE 'green' END
            AS worst_light
    FROM items
    WHERE notice_date = $notice
    GROUP BY river_id
)
SELECT
    r.river_id,
    r.name,
    r.level,
    r.target_class,
    r.township_id,
    r.geom_wkt,
    c.sections,
    c.worst_class,
    c.tp,
    c.nh3n,
    c.codmn,
    c."do",
    c.lake_sections,
    l.items,
    l.red,
    l.yellow,
    l.worst_light
FROM rivers AS r
LEFT JOIN classes AS c USING (river_id)
LEFT JOIN lights AS l USING (river_id)
ORDER BY CASE r.level WHEN '村级' THEN 1 WHEN '镇级' THEN 2 ELSE 3 END, r.river_id
