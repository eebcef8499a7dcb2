#!/bin/bash
# The last init script: marks the database as set up for IRIS. The oracle service's health check
# in docker-compose.yml waits for this file, so the collector starts only after its user exists.
# It lives in the data volume: it survives restarts, and goes with the database when the volume
# is removed (the init scripts then run again).
set -euo pipefail
touch /opt/oracle/oradata/.iris-initialized
