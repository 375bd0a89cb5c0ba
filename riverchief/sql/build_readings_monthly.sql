-- params: readings
-- Each source's monthly result per section and factor, built once at publish time; the monthly rule
-- (riverchief/water.monthly_values) then picks the month's value from them.
-- Manual samples (手工): the mean of the month's samples. Automatic stations (自动): the mean of the
-- daily means, with the number of days the factor has a value (its valid days).
-- Below-detection results (flag *_bdl) enter at half the detection limit (docs/DOMAIN.md §5).
WITH r AS (
    SELECT
        section_id,
        CAST(date_trunc('month', sampled_at) AS DATE) AS month,
        CAST(sampled_at AS DATE) AS day,
        coalesce(method, '手工') = '自动' AS auto,
        CASE WHEN tp_bdl THEN tp / 2 ELSE tp END AS tp,
        CASE WHEN nh3n_bdl THEN nh3n / 2 ELSE nh3n END AS nh3n,
        CASE WHEN codmn_bdl THEN codmn / 2 ELSE codmn END AS codmn,
        "do",
        tp_bdl AND tp IS NOT NULL AS tp_bdl,
        nh3n_bdl AND nh3n IS NOT NULL AS nh3n_bdl
    FROM read_parquet($readings, union_by_name = true)
),
manual AS (
    SELECT section_id, month, count(*) AS n,
           avg(tp) AS tp, avg(nh3n) AS nh3n, avg(codmn) AS codmn, avg("do") AS "do",
           count(tp) AS tp_n, count(nh3n) AS nh3n_n, count(codmn) AS codmn_n, count("do") AS do_n,
           count(*) FILTER (WHERE tp_bdl) AS tp_bdl_n, count(*) FILTER (WHERE nh3n_bdl) AS nh3n_bdl_n
    FROM r
    WHERE NOT auto
    GROUP BY ALL
),
daily AS (
    SELECT section_id, month, day, count(*) AS n,
           avg(tp) AS tp, avg(nh3n) AS nh3n, avg(codmn) AS codmn, avg("do") AS "do",
           count(*) FILTER (WHERE tp_bdl) AS tp_bdl_n, count(*) FILTER (WHERE nh3n_bdl) AS nh3n_bdl_n
    FROM r
    WHERE auto
    GROUP BY ALL
),
automatic AS (
    SELECT section_id, month, sum(n) AS n,
           avg(tp) AS tp, avg(nh3n) AS nh3n, avg(codmn) AS codmn, avg("do") AS "do",
           count(tp) AS tp_n, count(nh3n) AS nh3n_n, count(codmn) AS codmn_n, count("do") AS do_n,
           sum(tp_bdl_n) AS tp_bdl_n, sum(nh3n_bdl_n) AS nh3n_bdl_n
    FROM daily
    GROUP BY ALL
),
months AS (
    SELECT section_id, month FROM manual
    UNION
    SELECT section_id, month FROM automatic
)
SELECT
    k.section_id,
    k.month,
    CAST(coalesce(m.n, 0) + coalesce(a.n, 0) AS INTEGER) AS n,
    m.tp AS tp_manual, m.nh3n AS nh3n_manual, m.codmn AS codmn_manual, m."do" AS do_manual,
    CAST(coalesce(m.tp_n, 0) AS INTEGER) AS tp_manual_n, CAST(coalesce(m.nh3n_n, 0) AS INTEGER) AS nh3n_manual_n,
    CAST(coalesce(m.codmn_n, 0) AS INTEGER) AS codmn_manual_n, CAST(coalesce(m.do_n, 0) AS INTEGER) AS do_manual_n,
    CAST(coalesce(m.tp_bdl_n, 0) AS INTEGER) AS tp_manual_bdl_n, CAST(coalesce(m.nh3n_bdl_n, 0) AS INTEGER) AS nh3n_manual_bdl_n,
    a.tp AS tp_auto, a.nh3n AS nh3n_auto, a.codmn AS codmn_auto, a."do" AS do_auto,
    CAST(coalesce(a.tp_n, 0) AS INTEGER) AS tp_auto_n, CAST(coalesce(a.nh3n_n, 0) AS INTEGER) AS nh3n_auto_n,
    CAST(coalesce(a.codmn_n, 0) AS INTEGER) AS codmn_auto_n, CAST(coalesce(a.do_n, 0) AS INTEGER) AS do_auto_n,
    CAST(coalesce(a.tp_bdl_n, 0) AS INTEGER) AS tp_auto_bdl_n, CAST(coalesce(a.nh3n_bdl_n, 0) AS INTEGER) AS nh3n_auto_bdl_n
FROM months AS k
LEFT JOIN manual AS m USING (section_id, month)
LEFT JOIN automatic AS a USING (section_id, month)
ORDER BY k.section_id, k.month
