-- 10_static_join.sql — join the stream with static data: the users' table
-- (data/users.csv: User;FirstName;LastName;Age;Sex;City;Height_cm).
-- Every micro-batch joins its rows with the table; nothing is kept between
-- batches.
--
-- Needs: sluice gen iot                (127.0.0.1:9999)
-- Run:   sluice -f examples/lab/10_static_join.sql     (from the repository's
--        root: the CSV path is relative)

CREATE STREAM tcp_stream USING socket OPTIONS (host '127.0.0.1', port 9999);
CREATE VIEW iot_data AS
  SELECT json.* FROM (
    SELECT from_json(CAST(value AS STRING),
                     'Arrival_Time BIGINT, Creation_Time BIGINT, Device STRING, `Index` BIGINT,
                      Model STRING, User STRING, gt STRING, x DOUBLE, y DOUBLE, z DOUBLE') AS json
    FROM tcp_stream);
CREATE VIEW iot_filtered AS SELECT * FROM dropna(iot_data, 'any');

-- userData = spark.read.format("csv").option("header", "true")
--     .option("sep", ";").option("inferSchema", "true").load(".../users.csv")
CREATE TABLE user_data USING csv
  OPTIONS (path 'data/users.csv', header true, sep ';', inferSchema true);
DESCRIBE user_data;
SELECT * FROM user_data ORDER BY User;

-- streamWithUserData = filterdDf
--     .drop("Arrival_Time", "Creation_Time", "Index", "x", "y", "z")
--     .join(userData, ["User"])
--     .writeStream.queryName("streamWithUserData").format("memory").start()
-- df.drop(...) is SELECT * EXCEPT (...); join(df, ["User"]) is JOIN ... USING
-- (User): User comes once, first, then the other columns of each side.
START QUERY streamWithUserData USING memory
  AS SELECT *
     FROM (SELECT * EXCEPT (Arrival_Time, Creation_Time, `Index`, x, y, z) FROM iot_filtered)
     JOIN user_data USING (User);

-- for x in range(20): spark.sql("SELECT * FROM streamWithUserData").show(50, False)
AWAIT QUERY streamWithUserData TIMEOUT '3 seconds';
SELECT count(*) AS joined_rows FROM streamWithUserData;
AWAIT QUERY streamWithUserData TIMEOUT '3 seconds';
SELECT * FROM streamWithUserData LIMIT 10;
STOP QUERY streamWithUserData;
