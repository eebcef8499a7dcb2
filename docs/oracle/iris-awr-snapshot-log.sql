-- IRIS AWR snapshot log: install (safe to run again).
--
-- What it makes, in the schema of the account that runs it (the collector's, e.g. IRIS):
--   IRIS_AWR_SNAPSHOT_LOG      one row per AWR snapshot (dbid, instance_number, snap_id,
--                              end_interval_time), inserted shortly after AWR takes it;
--   IRIS_LOG_AWR_SNAPSHOTS     the procedure that inserts the rows of snapshots not logged yet;
--   IRIS_AWR_SNAPSHOT_LOG_JOB  a DBMS_SCHEDULER job that runs it every 15 seconds.
-- With IRIS_COLLECTOR_TRIGGER=debezium, Debezium's Oracle connector captures each insert and the
-- collector collects that snapshot at once. Debezium never captures SYS's tables (WRM$_SNAPSHOT,
-- WRH$_*), which is why this small table of the IRIS user exists. The log only announces: the
-- collector's checkpoints decide what is published, so a row too many or too few loses nothing.
--
-- Run it as the collector's account, in the database (PDB) the collector reads:
--   sqlplus iris@//db1:1521/ORCLPDB1 @docs/oracle/iris-awr-snapshot-log.sql
-- A DBA grants, once, beforehand (SELECT directly, not through a role: the procedure runs with
-- its owner's rights, in which roles do not count):
--   GRANT CREATE TABLE, CREATE PROCEDURE, CREATE JOB TO iris;
--   ALTER USER iris QUOTA 10M ON users;
--   GRANT SELECT ON SYS.DBA_HIST_SNAPSHOT TO iris;
-- Archive log mode, database supplemental logging and the LogMiner account Debezium connects as
-- are in docs/RUNBOOK.md ("Event-driven collection"). Uninstall: iris-awr-snapshot-log-uninstall.sql.

WHENEVER SQLERROR EXIT FAILURE ROLLBACK
SET SERVEROUTPUT ON
SET VERIFY OFF

-- The AWR view the snapshots are read from: the collector's IRIS_COLLECTOR_SOURCE_<NAME>_VIEW_PREFIX
-- followed by SNAPSHOT (SYS.AWR_PDB_SNAPSHOT for PDB-level snapshots, SYS.CDB_HIST_SNAPSHOT in a
-- CDB root); grant SELECT on that view instead.
DEFINE snapshot_view = SYS.DBA_HIST_SNAPSHOT

-- 1. The table; kept, with its rows, when it exists.
DECLARE
  table_exists EXCEPTION;
  PRAGMA EXCEPTION_INIT(table_exists, -955);
BEGIN
  EXECUTE IMMEDIATE q'[
    CREATE TABLE iris_awr_snapshot_log (
      dbid              NUMBER       NOT NULL,
      instance_number   NUMBER       NOT NULL,
      snap_id           NUMBER       NOT NULL,
      end_interval_time TIMESTAMP(3) NOT NULL,
      logged_at         TIMESTAMP(3) DEFAULT SYSTIMESTAMP NOT NULL,
      CONSTRAINT iris_awr_snapshot_log_pk PRIMARY KEY (dbid, instance_number, snap_id)
    )]';
  DBMS_OUTPUT.PUT_LINE('created table IRIS_AWR_SNAPSHOT_LOG');
EXCEPTION
  WHEN table_exists THEN
    DBMS_OUTPUT.PUT_LINE('table IRIS_AWR_SNAPSHOT_LOG exists: kept');
END;
/

-- 2. LogMiner sees every column of an inserted row only with the table's supplemental logging
--    (Debezium's requirement for each captured table).
DECLARE
  logging_exists EXCEPTION;
  PRAGMA EXCEPTION_INIT(logging_exists, -32588);
BEGIN
  EXECUTE IMMEDIATE 'ALTER TABLE iris_awr_snapshot_log ADD SUPPLEMENTAL LOG DATA (ALL) COLUMNS';
EXCEPTION
  WHEN logging_exists THEN NULL;
END;
/

-- 3. The procedure: logs each snapshot of the last day that is not logged yet, and forgets rows
--    older than a week (the collector's checkpoints are the record; this table only announces).
--    AWR's times are the database server's local time, hence CAST(SYSTIMESTAMP AS TIMESTAMP).
CREATE OR REPLACE PROCEDURE iris_log_awr_snapshots AUTHID DEFINER AS
BEGIN
  INSERT INTO iris_awr_snapshot_log (dbid, instance_number, snap_id, end_interval_time)
  SELECT s.dbid, s.instance_number, s.snap_id, CAST(s.end_interval_time AS TIMESTAMP(3))
    FROM &snapshot_view s
   WHERE s.end_interval_time > CAST(SYSTIMESTAMP AS TIMESTAMP) - INTERVAL '1' DAY
     AND NOT EXISTS (SELECT 1
                       FROM iris_awr_snapshot_log l
                      WHERE l.dbid = s.dbid
                        AND l.instance_number = s.instance_number
                        AND l.snap_id = s.snap_id);
  DELETE FROM iris_awr_snapshot_log
   WHERE logged_at < CAST(SYSTIMESTAMP AS TIMESTAMP) - INTERVAL '7' DAY;
  COMMIT;
END iris_log_awr_snapshots;
/
SHOW ERRORS PROCEDURE iris_log_awr_snapshots

-- 4. The job, made anew: every 15 seconds (one indexed query; AWR takes a snapshot every 15 to 60
--    minutes), logging only failed runs so that the scheduler's log does not grow by 5,760 rows a
--    day. A shorter interval announces sooner.
DECLARE
  no_such_job EXCEPTION;
  PRAGMA EXCEPTION_INIT(no_such_job, -27475);
BEGIN
  BEGIN
    DBMS_SCHEDULER.DROP_JOB(job_name => 'IRIS_AWR_SNAPSHOT_LOG_JOB', force => TRUE);
  EXCEPTION
    WHEN no_such_job THEN NULL;
  END;
  DBMS_SCHEDULER.CREATE_JOB(
    job_name        => 'IRIS_AWR_SNAPSHOT_LOG_JOB',
    job_type        => 'STORED_PROCEDURE',
    job_action      => 'IRIS_LOG_AWR_SNAPSHOTS',
    repeat_interval => 'FREQ=SECONDLY; INTERVAL=15',
    enabled         => FALSE,
    comments        => 'IRIS: logs each new AWR snapshot for the collector''s Debezium trigger');
  DBMS_SCHEDULER.SET_ATTRIBUTE(
    name      => 'IRIS_AWR_SNAPSHOT_LOG_JOB',
    attribute => 'logging_level',
    value     => DBMS_SCHEDULER.LOGGING_FAILED_RUNS);
  DBMS_SCHEDULER.ENABLE('IRIS_AWR_SNAPSHOT_LOG_JOB');
  DBMS_OUTPUT.PUT_LINE('job IRIS_AWR_SNAPSHOT_LOG_JOB runs every 15 s');
END;
/

-- 5. Check: the job is scheduled, and the first run logs the last day's snapshots at once.
EXEC iris_log_awr_snapshots
SELECT job_name, state, repeat_interval FROM user_scheduler_jobs
 WHERE job_name = 'IRIS_AWR_SNAPSHOT_LOG_JOB';
SELECT dbid, instance_number, MAX(snap_id) AS newest_snap_id, COUNT(*) AS logged
  FROM iris_awr_snapshot_log
 GROUP BY dbid, instance_number
 ORDER BY dbid, instance_number;
