// The topics the extractor reads and writes. Injectable so integration tests and the benchmark run
// on throw-away topics; the service itself always uses the contract constants.
import { Topics } from '@crm/contracts';

export interface ExtractorTopics {
  readonly input: string;
  readonly extracted: string;
  readonly rejected: string;
  readonly deadLetter: string;
}

export const DEFAULT_EXTRACTOR_TOPICS: ExtractorTopics = {
  input: Topics.conversationEvents,
  extracted: Topics.entityExtracted,
  rejected: Topics.entityRejected,
  deadLetter: Topics.deadLetter,
};
