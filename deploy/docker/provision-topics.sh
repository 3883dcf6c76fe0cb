#!/bin/sh
# One-shot topic provisioning for docker-compose (runs in the apache/kafka image). Creates every
# pipeline topic with its partitions, cleanup policy and retention (libs/contracts/src/topics.ts;
# test/deploy checks this list against TOPIC_SPECS), and is a no-op for topics that exist.
# Env: BOOTSTRAP (host:port), PARTITIONS (default 6), REPLICATION_FACTOR (default 1).
set -eu
BOOTSTRAP="${BOOTSTRAP:-kafka:9092}"
PARTITIONS="${PARTITIONS:-6}"
REPLICATION_FACTOR="${REPLICATION_FACTOR:-1}"
TOPICS_BIN="${KAFKA_HOME:-/opt/kafka}/bin/kafka-topics.sh"
DAY_MS=86400000

create() { # name cleanup.policy retention-days
  extra=""
  if [ "$2" = "compact" ]; then extra="--config min.cleanable.dirty.ratio=0.1"; fi
  # shellcheck disable=SC2086
  "$TOPICS_BIN" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists --topic "$1" \
    --partitions "$PARTITIONS" --replication-factor "$REPLICATION_FACTOR" \
    --config "cleanup.policy=$2" --config "retention.ms=$(($3 * DAY_MS))" $extra
}

create genesys.external.conversation-events.v1 delete 7
create crm.internal.entity-extracted.v1 delete 7
create crm.internal.entity-rejected.v1 delete 7
create crm.internal.contact-update-requested.v1 delete 7
create crm.internal.contact-update-result.v1 delete 30
create crm.internal.dead-letter.v1 delete 30
create crm.internal.aggregator-state.v1 compact 7
create crm.internal.contact-update-by-record.v1 delete 7
create crm.internal.crm-write-state.v1 compact 365
create genesys.internal.analytics-poll-schedule.v1 compact 7

"$TOPICS_BIN" --bootstrap-server "$BOOTSTRAP" --describe --topics-with-overrides
