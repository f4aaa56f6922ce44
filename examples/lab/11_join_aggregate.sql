-- 11_join_aggregate.sql — a join with an aggregation: records per user, with
-- the user's name. Written twice, as in the lab: join then count, and count
-- then join. Same result, different plans (EXPLAIN shows them).
--
-- Needs: sluice gen iot                (127.0.0.1:9999)
-- Run:   sluice -f examples/lab/11_join_aggregate.sql  (from the repository's root)

CREATE STREAM tcp_stream USING socket OPTIONS (host '127.0.0.1', port 9999);
CREATE VIEW iot_data AS
  SELECT json.* FROM (
    SELECT from_json(CAST(value AS STRING),
                     'Arrival_Time BIGINT, Creation_Time BIGINT, Device STRING, `Index` BIGINT,
                      Model STRING, User STRING, gt STRING, x DOUBLE, y DOUBLE, z DOUBLE') AS json
    FROM tcp_stream);
CREATE VIEW iot_filtered AS SELECT * FROM dropna(iot_data, 'any');
CREATE TABLE user_data USING csv
  OPTIONS (path 'data/users.csv', header true, sep ';', inferSchema true);

-- deviceMobileStatsUser = filterdDf.join(userData, ["User"])
--     .groupBy("User", "FirstName", "LastName").count()
--     .writeStream.queryName("stat_user").format("memory")
--     .outputMode("complete").start()
START QUERY stat_user USING memory OPTIONS (outputMode 'complete')
  AS SELECT User, FirstName, LastName, count(*) AS count
     FROM iot_filtered JOIN user_data USING (User)
     GROUP BY User, FirstName, LastName;

-- deviceMobileStatsUser = filterdDf.groupBy("User").count()
--     .join(userData, ["User"])
--     .writeStream.queryName("stat_user").format("memory")
--     .outputMode("complete").start()
-- (Named stat_user_2 here, so that both run side by side.)
START QUERY stat_user_2 USING memory OPTIONS (outputMode 'complete')
  AS SELECT *
     FROM (SELECT User, count(*) AS count FROM iot_filtered GROUP BY User)
     JOIN user_data USING (User);

-- for x in range(5): spark.sql("SELECT * FROM stat_user").show(50, False)
AWAIT QUERY stat_user TIMEOUT '3 seconds';
SELECT * FROM stat_user ORDER BY User;
AWAIT QUERY stat_user TIMEOUT '3 seconds';
SELECT * FROM stat_user ORDER BY User;
SELECT User, FirstName, LastName, count, City FROM stat_user_2 ORDER BY User;
-- The two plans: the join runs before, or after, the aggregation. (.mode
-- line prints the plan's text whole instead of in a table cell.)
.mode line
EXPLAIN SELECT User, FirstName, LastName, count(*) AS count
        FROM iot_filtered JOIN user_data USING (User) GROUP BY User, FirstName, LastName;
EXPLAIN SELECT * FROM (SELECT User, count(*) AS count FROM iot_filtered GROUP BY User)
        JOIN user_data USING (User);
.mode table
STOP QUERY stat_user;
STOP QUERY stat_user_2;
