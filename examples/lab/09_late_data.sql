-- 09_late_data.sql — late data and watermarks. Events arrive out of order;
-- some are really late. A watermark tells the engine how late an event may
-- be (here 10 seconds behind the latest event time seen): a window is final
-- once the watermark passes its end, its state can be freed, and rows for
-- it that still arrive are dropped as late. Spark's guide covers this under
-- "Handling Late Data and Watermarking", which the lab links to.
--
-- Needs: sluice gen iot --late-fraction 0.2 --max-delay 30
--        (127.0.0.1:9999; a fifth of the events 0.5 to 30 s late)
--        and a sluice with window() (see 07_tumbling_window.sql)
-- Run:   sluice -f examples/lab/09_late_data.sql        (about 40 seconds)

CREATE STREAM tcp_stream USING socket OPTIONS (host '127.0.0.1', port 9999);
CREATE VIEW iot_data AS
  SELECT json.* FROM (
    SELECT from_json(CAST(value AS STRING),
                     'Arrival_Time BIGINT, Creation_Time BIGINT, Device STRING, `Index` BIGINT,
                      Model STRING, User STRING, gt STRING, x DOUBLE, y DOUBLE, z DOUBLE') AS json
    FROM tcp_stream);
CREATE VIEW iot_filtered AS SELECT * FROM dropna(iot_data, 'any');
CREATE VIEW with_event_time AS
  SELECT *, CAST(CAST(Creation_Time AS DOUBLE) / 1000000000 AS TIMESTAMP) AS event_time
  FROM iot_filtered;

-- withEventTime.withWatermark("event_time", "10 seconds")
--     .groupBy(window(col("event_time"), "5 seconds")).count()
--     .writeStream.queryName("late_windows").format("memory")
--     .outputMode("append").trigger(processingTime='2 seconds').start()
-- Append mode writes each window once, when it is final: the window
-- [t, t+5s) appears once an event of t+15s has been seen (and one trigger
-- later). Without the watermark, append mode is refused for an aggregation.
-- (Complete mode would ignore the watermark and keep every window forever.)
START QUERY late_windows USING memory OPTIONS (outputMode 'append', trigger '2 seconds')
  AS SELECT window(event_time, '5 seconds') AS window, count(*) AS count
     FROM with_event_time WATERMARK event_time DELAY OF INTERVAL 10 SECONDS
     GROUP BY window(event_time, '5 seconds');

-- SHOW QUERIES shows currentWatermark and lateRows (the rows dropped so far).
AWAIT QUERY late_windows TIMEOUT '25 seconds';
SHOW QUERIES;
SELECT window.start, window.end, count FROM late_windows ORDER BY start;

-- Beyond Spark: FLUSH runs one last batch with the watermark past every
-- event, so append mode writes the windows still open before the query
-- stops (Spark would never write them if the stream went quiet).
STOP QUERY late_windows FLUSH;
SELECT window.start, window.end, count FROM late_windows ORDER BY start;

-- Beyond Spark: the rows dropped as late are not lost silently. They are in
-- the memory table <query>_late (and, with OPTIONS (lateRowsPath '/dir'),
-- in JSON files). Here: who sent them, and how late they were.
SELECT count(*) AS late_rows FROM late_windows_late;
SELECT User, gt, event_time,
       CAST(CAST(Arrival_Time AS DOUBLE) / 1000000000 AS TIMESTAMP) AS arrived
FROM late_windows_late ORDER BY Arrival_Time DESC LIMIT 5;
