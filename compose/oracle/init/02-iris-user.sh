#!/bin/bash
# Runs once, when the container creates its database, after 01-awr-settings.sql. Creates the
# collector's user in FREEPDB1 with exactly what the collector reads (collector-service's
# AwrReader) and nothing else: CREATE SESSION and SELECT on each view, rather than
# SELECT_CATALOG_ROLE, which opens thousands of dictionary views (V$SQL with every session's
# literals among them). If AwrReader reads a new view, add its grant here
# (ComposeFileTest checks that the two agree).
#
# A shell script rather than .sql: the user and password come from the environment, the same
# IRIS_COLLECTOR_SOURCE_ORACLE_USER / _PASSWORD the collector logs in with.
#
# Safe to run again, e.g. after changing the password in .env:
#   docker compose exec oracle /container-entrypoint-initdb.d/02-iris-user.sh
# The user is created when missing, else its password is reset; grants are idempotent.
set -euo pipefail

iris_user=${IRIS_COLLECTOR_SOURCE_ORACLE_USER:-IRIS}
iris_password=${IRIS_COLLECTOR_SOURCE_ORACLE_PASSWORD:?IRIS_COLLECTOR_SOURCE_ORACLE_PASSWORD is not set (see compose/.env.example)}

# Both go into SQL text: allow only what needs no quoting.
if [[ ! ${iris_user} =~ ^[A-Za-z][A-Za-z0-9_]{0,127}$ ]]; then
  echo "IRIS: IRIS_COLLECTOR_SOURCE_ORACLE_USER='${iris_user}' is not a simple Oracle user name" >&2
  exit 1
fi
if [[ ${iris_password} == *\"* || ${iris_password} == *\'* ]]; then
  echo "IRIS: IRIS_COLLECTOR_SOURCE_ORACLE_PASSWORD must not contain quotes" >&2
  exit 1
fi

# The password goes through standard input, never the command line.
sqlplus -s / as sysdba <<SQL
WHENEVER SQLERROR EXIT SQL.SQLCODE
ALTER SESSION SET CONTAINER = FREEPDB1;

DECLARE
  existing NUMBER;
BEGIN
  SELECT COUNT(*) INTO existing FROM dba_users WHERE username = UPPER('${iris_user}');
  IF existing = 0 THEN
    EXECUTE IMMEDIATE 'CREATE USER ${iris_user} IDENTIFIED BY "${iris_password}"';
  ELSE
    EXECUTE IMMEDIATE 'ALTER USER ${iris_user} IDENTIFIED BY "${iris_password}" ACCOUNT UNLOCK';
  END IF;
END;
/

GRANT CREATE SESSION TO ${iris_user};

-- AwrReader.checkAccess: is the Diagnostics Pack enabled (CONTROL_MANAGEMENT_PACK_ACCESS)?
GRANT SELECT ON SYS.V_\$PARAMETER TO ${iris_user};

-- Snapshots and instances: which snapshots exist, where to resume, instance name/host/version.
GRANT SELECT ON SYS.DBA_HIST_SNAPSHOT TO ${iris_user};
GRANT SELECT ON SYS.DBA_HIST_DATABASE_INSTANCE TO ${iris_user};

-- Per-statement deltas and text.
GRANT SELECT ON SYS.DBA_HIST_SQLSTAT TO ${iris_user};
GRANT SELECT ON SYS.DBA_HIST_SQLTEXT TO ${iris_user};

-- System metrics: DB time/CPU, sysstat counters, User I/O waits, host CPU, PGA, SGA.
GRANT SELECT ON SYS.DBA_HIST_SYS_TIME_MODEL TO ${iris_user};
GRANT SELECT ON SYS.DBA_HIST_SYSSTAT TO ${iris_user};
GRANT SELECT ON SYS.DBA_HIST_SYSTEM_EVENT TO ${iris_user};
GRANT SELECT ON SYS.DBA_HIST_OSSTAT TO ${iris_user};
GRANT SELECT ON SYS.DBA_HIST_SYSMETRIC_SUMMARY TO ${iris_user};
GRANT SELECT ON SYS.DBA_HIST_PGASTAT TO ${iris_user};
GRANT SELECT ON SYS.DBA_HIST_SGA TO ${iris_user};

-- Execution plans.
GRANT SELECT ON SYS.DBA_HIST_SQL_PLAN TO ${iris_user};

exit
SQL
