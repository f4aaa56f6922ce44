-- 06_cube_stats.sql — mean acceleration per activity and phone model, over
-- every combination of the two keys: cube("gt", "model").avg().
--
-- Needs: sluice gen iot                (127.0.0.1:9999)
-- Run:   sluice -f examples/lab/06_cube_stats.sql

CREATE STREAM tcp_stream USING socket OPTIONS (host '127.0.0.1', port 9999);
CREATE VIEW iot_data AS
  SELECT json.* FROM (
    SELECT from_json(CAST(value AS STRING),
                     'Arrival_Time BIGINT, Creation_Time BIGINT, Device STRING, `Index` BIGINT,
                      Model STRING, User STRING, gt STRING, x DOUBLE, y DOUBLE, z DOUBLE') AS json
    FROM tcp_stream);
CREATE VIEW iot_filtered AS SELECT * FROM dropna(iot_data, 'any');

-- deviceMobileStats = filterdDf.select("x", "y", "z", "gt", "model")
--     .cube("gt", "model").avg()
--     .writeStream.queryName("deviceMobileStats").format("memory")
--     .outputMode("complete").start()
-- The columns are named as Spark names them: avg(x), avg(y), avg(z).
START QUERY deviceMobileStats USING memory OPTIONS (outputMode 'complete')
  AS SELECT gt, model, avg(x), avg(y), avg(z)
     FROM iot_filtered
     GROUP BY CUBE(gt, model);

-- for x in range(10): spark.sql("SELECT * FROM deviceMobileStats").show(); sleep(1)
AWAIT QUERY deviceMobileStats TIMEOUT '3 seconds';
SELECT count(*) AS cube_rows FROM deviceMobileStats;
AWAIT QUERY deviceMobileStats TIMEOUT '3 seconds';
-- A NULL key means "all": (walk, NULL) averages every walk record whatever
-- the model, (NULL, NULL) every record. grouping(gt) tells a rolled-up NULL
-- from a real one (there is none here: dropna removed them).
-- (.maxrows: the shell shows 20 rows by default, as show() does.)
.maxrows 60
SELECT * FROM deviceMobileStats ORDER BY gt NULLS FIRST, model NULLS FIRST;
STOP QUERY deviceMobileStats;
