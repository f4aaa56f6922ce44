-- 14_files_source.sql — a safer source: files dropped in a directory. The
-- lab warns that a socket is not for production: a line lost is lost for
-- good, and nothing can be read again after a failure. Files stay: each new
-- file is read once, in order, and can be read again. (Kafka is the other
-- safe source the lab names; sluice has no Kafka source yet.)
--
-- Needs: the IoT records written as files instead of served:
--     sluice gen iot --to-dir /tmp/sluice-lab/iot
-- (a file of 100 lines every 5 seconds, each written under a temporary
-- name and renamed when complete, so no half-written file is ever read;
-- start it at least 10 seconds before this script: the directory must
-- exist, and the first file appears after 5 seconds)
-- Run:   sluice -f examples/lab/14_files_source.sql

-- spark.readStream.schema(schema).json("/tmp/sluice-lab/iot")
-- A file stream needs its columns: a directory cannot be asked for a schema.
CREATE STREAM iot_files (Arrival_Time BIGINT, Creation_Time BIGINT, Device STRING, `Index` BIGINT,
                         Model STRING, User STRING, gt STRING, x DOUBLE, y DOUBLE, z DOUBLE)
  USING json OPTIONS (path '/tmp/sluice-lab/iot', maxFilesPerTrigger 2);

-- The activity counts of 04_activity_counts.sql, from the files: the
-- directory is listed at every trigger, new files are read, at most two per
-- micro-batch (maxFilesPerTrigger).
START QUERY files_activity USING memory OPTIONS (outputMode 'complete', trigger '1 seconds')
  AS SELECT gt, count(*) AS count FROM dropna(iot_files, 'any') GROUP BY gt;
AWAIT QUERY files_activity TIMEOUT '6 seconds';
SELECT * FROM files_activity ORDER BY gt;
STOP QUERY files_activity;

-- trigger availableNow: read every file there now, in micro-batches of at
-- most maxFilesPerTrigger, then stop by itself — an incremental batch job.
-- Run it again later and it starts over (sluice keeps no checkpoint of the
-- files it read yet).
START QUERY files_now USING memory OPTIONS (outputMode 'complete', trigger 'availableNow')
  AS SELECT gt, count(*) AS count FROM dropna(iot_files, 'any') GROUP BY gt;
AWAIT QUERY files_now TIMEOUT '30 seconds';
SELECT * FROM files_now ORDER BY gt;
SHOW PROGRESS files_now LAST 1;
STOP QUERY files_now;
