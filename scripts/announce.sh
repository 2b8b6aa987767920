#!/usr/bin/env bash
# announce.sh: say loudly which external services the test run will use.
if [ -n "${REVHUB_TEST_POSTGRES_URL:-}" ]; then
  echo "make test: PostgreSQL conformance ON  (REVHUB_TEST_POSTGRES_URL=${REVHUB_TEST_POSTGRES_URL})"
else
  echo "!!! make test: PostgreSQL tests SKIPPED: nothing answers on 127.0.0.1:5432; set REVHUB_TEST_POSTGRES_URL to enable them !!!"
fi
if [ -n "${REVHUB_TEST_NATS_URL:-}" ]; then
  echo "make test: external NATS conformance ON  (REVHUB_TEST_NATS_URL=${REVHUB_TEST_NATS_URL})"
else
  echo "!!! make test: external NATS tests SKIPPED: nothing answers on 127.0.0.1:4222; set REVHUB_TEST_NATS_URL to enable them (embedded NATS still runs) !!!"
fi
