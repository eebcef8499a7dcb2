-- IRIS AWR snapshot log: uninstall (safe to run again). Removes the job, the procedure and the
-- table iris-awr-snapshot-log.sql made. Run it as the same account:
--   sqlplus iris@//db1:1521/ORCLPDB1 @docs/oracle/iris-awr-snapshot-log-uninstall.sql
-- Set IRIS_COLLECTOR_TRIGGER=poll first (or stop the collector): a collector whose Debezium
-- connector finds no table logs the failure and retries, while polling goes on.

WHENEVER SQLERROR EXIT FAILURE ROLLBACK
SET SERVEROUTPUT ON

DECLARE
  no_such_job EXCEPTION;
  PRAGMA EXCEPTION_INIT(no_such_job, -27475);
BEGIN
  DBMS_SCHEDULER.DROP_JOB(job_name => 'IRIS_AWR_SNAPSHOT_LOG_JOB', force => TRUE);
  DBMS_OUTPUT.PUT_LINE('dropped job IRIS_AWR_SNAPSHOT_LOG_JOB');
EXCEPTION
  WHEN no_such_job THEN NULL;
END;
/

DECLARE
  no_such_procedure EXCEPTION;
  PRAGMA EXCEPTION_INIT(no_such_procedure, -4043);
BEGIN
  EXECUTE IMMEDIATE 'DROP PROCEDURE iris_log_awr_snapshots';
  DBMS_OUTPUT.PUT_LINE('dropped procedure IRIS_LOG_AWR_SNAPSHOTS');
EXCEPTION
  WHEN no_such_procedure THEN NULL;
END;
/

DECLARE
  no_such_table EXCEPTION;
  PRAGMA EXCEPTION_INIT(no_such_table, -942);
BEGIN
  EXECUTE IMMEDIATE 'DROP TABLE iris_awr_snapshot_log PURGE';
  DBMS_OUTPUT.PUT_LINE('dropped table IRIS_AWR_SNAPSHOT_LOG');
EXCEPTION
  WHEN no_such_table THEN NULL;
END;
/
