-- params: none
-- The shared filters (township, river, list, unit) and the previous notice, each in one place; a NULL filter
-- means "all".

-- A row's place (its township and river) under the township and river filters.
CREATE MACRO in_place(row_township, row_river, township, river) AS
    (township IS NULL OR row_township = township) AND (river IS NULL OR row_river = river);

-- A row's responsible unit under the unit filter.
CREATE MACRO of_unit(row_unit, unit) AS (unit IS NULL OR row_unit = unit);

CREATE MACRO scoped_items(township, river, list_kind, unit) AS TABLE
    SELECT *
    FROM items
    WHERE in_place(township_id, river_id, township, river)
      AND (list_kind IS NULL OR list = list_kind)
      AND of_unit(unit_id, unit);

-- Monitoring sections under the township and river filters (water pages ignore list and unit).
CREATE MACRO scoped_sections(township, river) AS TABLE
    SELECT * FROM sections WHERE in_place(township_id, river_id, township, river);

-- Problems (patrols, complaints, inspection feedback) under the township, river and unit filters.
CREATE MACRO scoped_problems(township, river, unit) AS TABLE
    SELECT * FROM problems WHERE in_place(township_id, river_id, township, river) AND of_unit(unit_id, unit);

-- Days past a deadline on a day (NULL when not past it): the 逾期天数 of items and problems.
CREATE MACRO days_overdue(deadline, on_day) AS CASE WHEN deadline < on_day THEN date_diff('day', deadline, on_day) END;

-- The notice before this one (NULL on the first): what every "change since last notice" compares with.
CREATE MACRO previous_notice(this_notice) AS (SELECT max(notice_date) FROM items WHERE notice_date < this_notice);
