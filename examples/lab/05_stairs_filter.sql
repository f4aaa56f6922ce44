-- 05_stairs_filter.sql — keep the stair activities (stairsup, stairsdown)
-- and four columns: a stateless query, in append mode (each row written
-- once).
--
-- Needs: sluice gen iot                (127.0.0.1:9999)
-- Run:   sluice -f examples/lab/05_stairs_filter.sql

CREATE STREAM tcp_stream USING socket OPTIONS (host '127.0.0.1', port 9999);
CREATE VIEW iot_data AS
  SELECT json.* FROM (
    SELECT from_json(CAST(value AS STRING),
                     'Arrival_Time BIGINT, Creation_Time BIGINT, Device STRING, `Index` BIGINT,
                      Model STRING, User STRING, gt STRING, x DOUBLE, y DOUBLE, z DOUBLE') AS json
    FROM tcp_stream);
CREATE VIEW iot_filtered AS SELECT * FROM dropna(iot_data, 'any');

-- simpleTransformAndFilter = filterdDf
--     .withColumn("is_stair_activity", expr("gt like '%stairs%'"))
--     .where("is_stair_activity")
--     .select("gt", "model", "arrival_time", "creation_time")
--     .writeStream.queryName("simple_transform").format("memory").start()
-- Column names are case-insensitive, as in Spark: model finds Model.
START QUERY simple_transform USING memory
  AS SELECT gt, model, arrival_time, creation_time
     FROM (SELECT *, gt LIKE '%stairs%' AS is_stair_activity FROM iot_filtered)
     WHERE is_stair_activity;

-- for x in range(5): spark.sql("SELECT * FROM simple_transform").show(); sleep(1)
AWAIT QUERY simple_transform TIMEOUT '2 seconds';
SELECT count(*) AS stair_rows FROM simple_transform;
AWAIT QUERY simple_transform TIMEOUT '2 seconds';
SELECT gt, count(*) AS rows FROM simple_transform GROUP BY gt ORDER BY gt;
SELECT * FROM simple_transform ORDER BY arrival_time DESC LIMIT 10;
STOP QUERY simple_transform;
