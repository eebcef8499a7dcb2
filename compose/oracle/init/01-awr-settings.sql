-- Runs once, as SYSDBA in the CDB root, when the container creates its database: gvenzl/oracle-free
-- runs /container-entrypoint-initdb.d/* in name order at first start. Safe to run again.
WHENEVER SQLERROR EXIT SQL.SQLCODE
SET SERVEROUTPUT ON

-- AWR belongs to the Diagnostics Pack. In Oracle Database Free CONTROL_MANAGEMENT_PACK_ACCESS
-- defaults to DIAGNOSTIC+TUNING; this only reports it (enabling a pack is a licensing decision).
-- The collector checks the same parameter and refuses a database without DIAGNOSTIC.
DECLARE
  pack_access VARCHAR2(64);
BEGIN
  SELECT value INTO pack_access FROM v$parameter WHERE name = 'control_management_pack_access';
  DBMS_OUTPUT.PUT_LINE('IRIS: control_management_pack_access = ' || pack_access);
  IF pack_access IS NULL OR INSTR(UPPER(pack_access), 'DIAGNOSTIC') = 0 THEN
    DBMS_OUTPUT.PUT_LINE('IRIS: WARNING: AWR is not enabled, the collector will refuse this database');
  END IF;
END;
/

-- A snapshot every 15 minutes instead of Oracle's 60, so the pipeline has data within the hour.
-- Set in the root: its snapshots cover every PDB, and the DBA_HIST_* views the collector reads
-- in FREEPDB1 show that PDB's part of them (no PDB-level snapshots are needed).
BEGIN
  DBMS_WORKLOAD_REPOSITORY.MODIFY_SNAPSHOT_SETTINGS(interval => 15);
END;
/

-- One snapshot now: AWR has a starting point before the first interval ends.
BEGIN
  DBMS_WORKLOAD_REPOSITORY.CREATE_SNAPSHOT;
END;
/
