// Subject naming: Confluent's TopicNameStrategy, `<topic>-key` and `<topic>-value`.
import { MESSAGE_SCHEMAS, type MessageName } from './schemas.generated';

export type SchemaPart = 'key' | 'value';

export function subjectFor(topic: string, part: SchemaPart): string {
  return `${topic}-${part}`;
}

/** The Avro schema (as JSON) of one part of a message. */
export function schemaOf(message: MessageName, part: SchemaPart): object | string {
  const schemas = MESSAGE_SCHEMAS[message];
  return schemas[part];
}
