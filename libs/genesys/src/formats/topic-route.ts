// Notifications topics carry entity ids; routing is on the pattern with ids replaced by `{id}`,
// which is also the literal EventBridge `detail-type`.
export type TopicRoute =
  | { kind: 'DETAIL_EVENT'; pattern: string; event: DetailEventName }
  | { kind: 'TRANSCRIPTION'; pattern: string }
  | { kind: 'STA_SENTIMENT'; pattern: string }
  | { kind: 'STA_TOPICS'; pattern: string }
  | { kind: 'SUMMARY'; pattern: string }
  | { kind: 'HEARTBEAT'; pattern: string }
  | { kind: 'CONTROL'; pattern: string }
  | { kind: 'UNROUTED'; pattern: string };

export type DetailEventName = 'customer.end' | 'user.end' | 'acw' | 'wrapup' | 'attributes';

const DETAIL = /^v2\.detail\.events\.conversation\.([^.]+)\.(customer\.end|user\.end|acw|wrapup|attributes)$/;
const TRANSCRIPTION = /^v2\.conversations\.([^.]+)\.transcription$/;
const STA = /^v2\.speechandtextanalytics\.conversation\.([^.]+)\.(sentiment|topics)$/;
const SUMMARY = /^v2\.users\.([^.]+)\.conversations\.summaries$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function routeTopic(topicName: string): TopicRoute {
  const detail = DETAIL.exec(topicName);
  if (detail)
    return {
      kind: 'DETAIL_EVENT',
      pattern: `v2.detail.events.conversation.{id}.${detail[2]}`,
      event: detail[2] as DetailEventName,
    };
  if (TRANSCRIPTION.test(topicName))
    return { kind: 'TRANSCRIPTION', pattern: 'v2.conversations.{id}.transcription' };
  const sta = STA.exec(topicName);
  if (sta) {
    const pattern = `v2.speechandtextanalytics.conversation.{id}.${sta[2]}`;
    return sta[2] === 'sentiment' ? { kind: 'STA_SENTIMENT', pattern } : { kind: 'STA_TOPICS', pattern };
  }
  if (SUMMARY.test(topicName)) return { kind: 'SUMMARY', pattern: 'v2.users.{id}.conversations.summaries' };
  if (topicName === 'channel.metadata') return { kind: 'HEARTBEAT', pattern: topicName };
  if (topicName.startsWith('v2.system.')) return { kind: 'CONTROL', pattern: topicName };
  return { kind: 'UNROUTED', pattern: topicPatternOf(topicName) };
}

/** Replaces UUID segments with `{id}`, for topics no route knows (logs and metrics only). */
export function topicPatternOf(topicName: string): string {
  return topicName
    .split('.')
    .map((segment) => (UUID.test(segment) ? '{id}' : segment))
    .join('.');
}
