-- params: list, notice, river, township, unit
-- Red and yellow items on the chosen notice: who is responsible, how late, and for how many
-- consecutive notices the item has shown this light (gaps-and-islands over its history).
WITH history AS (
    SELECT
        item_id,
        notice_date,
        light,
        row_number() OVER (PARTITION BY item_id ORDER BY notice_date)
          - row_number() OVER (PARTITION BY item_id, light ORDER BY notice_date) AS run
    FROM items
    WHERE notice_date <= $notice
      AND item_id IN (SELECT item_id FROM items WHERE notice_date = $notice AND light IN ('red', 'yellow'))
      -- only the flagged items' histories: a province's million rows are not windowed for 2,000 items
),
runs AS (
    SELECT item_id, light, count(*) AS notices_in_light, max(notice_date) AS last_notice
    FROM history
    GROUP BY item_id, light, run
)
SELECT
    i.item_id,
    i.light,
    i.list,
    i.title,
    u.name AS unit_name,
    u.kind AS unit_kind,
    rv.name AS river_name,
    t.name AS township_name,
    i.start_date,
    i.deadline,
    days_overdue(i.deadline, $notice) AS days_overdue,
    r.notices_in_light,
    i.progress,
    i.expected,
    i.target_qty,
    i.done_qty,
    i.target_unit,
    i.at_risk,
    i.override_light IS NOT NULL AS overridden,
    i.override_by,
    i.light_reason
FROM scoped_items($township, $river, $list, $unit) AS i
JOIN runs AS r ON r.item_id = i.item_id AND r.last_notice = i.notice_date AND r.light = i.light
LEFT JOIN units AS u ON u.unit_id = i.unit_id
LEFT JOIN rivers AS rv ON rv.river_id = i.river_id
LEFT JOIN townships AS t ON t.township_id = i.township_id
WHERE i.notice_date = $notice
  AND i.light IN ('red', 'yellow')
ORDER BY i.light = 'red' DESC, days_overdue DESC NULLS LAST, i.progress - coalesce(i.expected, 0), i.item_id
