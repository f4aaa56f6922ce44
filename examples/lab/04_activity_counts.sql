-- 04_activity_counts.sql — count the records of each activity (gt), first
-- into a memory table queried with SQL every second, then on the console in
-- update mode.
--
-- Needs: sluice gen iot                (127.0.0.1:9999)
-- Run:   sluice -f examples/lab/04_activity_counts.sql

CREATE STREAM tcp_stream USING socket OPTIONS (host '127.0.0.1', port 9999);
CREATE VIEW iot_data AS
  SELECT json.* FROM (
    SELECT from_json(CAST(value AS STRING),
                     'Arrival_Time BIGINT, Creation_Time BIGINT, Device STRING, `Index` BIGINT,
                      Model STRING, User STRING, gt STRING, x DOUBLE, y DOUBLE, z DOUBLE') AS json
    FROM tcp_stream);
CREATE VIEW iot_filtered AS SELECT * FROM dropna(iot_data, 'any');

-- activityCounts = iot_filtered.groupBy("gt").count()
-- activityCount_stream = activityCounts.writeStream.format("memory")
--     .outputMode("complete").queryName("activityCount_stream")
--     .trigger(processingTime='2 seconds').start()
START QUERY activityCount_stream USING memory OPTIONS (outputMode 'complete', trigger '2 seconds')
  AS SELECT gt, count(*) AS count FROM iot_filtered GROUP BY gt;

-- for x in range(10): spark.sql("SELECT * FROM activityCount_stream").show(); sleep(1)
-- A new result appears every 2 seconds (the trigger), so two reads a second
-- apart often show the same table. The first read may be empty.
AWAIT QUERY activityCount_stream TIMEOUT '1 seconds';
SELECT * FROM activityCount_stream ORDER BY gt;
AWAIT QUERY activityCount_stream TIMEOUT '2 seconds';
SELECT * FROM activityCount_stream ORDER BY gt;
AWAIT QUERY activityCount_stream TIMEOUT '2 seconds';
SELECT * FROM activityCount_stream ORDER BY count DESC, gt;
-- "null" is an activity: the string "null" sent by the watches, not a
-- missing value (dropna kept it).
STOP QUERY activityCount_stream;

-- The same on the console in update mode: each batch prints only the
-- activities whose count changed in it. (Not into a memory table: in update
-- mode it would pile up every changed row, batch after batch, in Spark as
-- in sluice; the lab's table lists only complete for an aggregation.)
START QUERY activityCount_console USING console OPTIONS (outputMode 'update', trigger '2 seconds')
  AS SELECT gt, count(*) AS count FROM iot_filtered GROUP BY gt;
AWAIT QUERY activityCount_console TIMEOUT '5 seconds';
STOP QUERY activityCount_console;
