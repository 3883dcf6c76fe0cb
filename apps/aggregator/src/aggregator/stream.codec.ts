// Avro (registry wire format) for the three topics the aggregator touches. Per-record encode and
// decode stay synchronous; a writer schema id not seen yet is fetched from the registry once.
import {
  type AggregatorState,
  type ContactUpdateRequested,
  type EntityStreamRecord,
  schemaOf,
  subjectFor,
} from '@crm/contracts';
import { AvroSerde, type SchemaHandle } from '@crm/kafka-core';

export interface AggregatorTopics {
  readonly input: string;
  readonly output: string;
  readonly state: string;
}

/** Confluent wire format: magic byte and 4-byte schema id before the Avro body. */
const FRAME_HEADER_LENGTH = 5;

export class StreamCodec {
  private readonly prepared = new Set<number>();

  private constructor(
    private readonly serde: AvroSerde,
    private readonly input: SchemaHandle<EntityStreamRecord>,
    private readonly update: SchemaHandle<ContactUpdateRequested>,
    private readonly state: SchemaHandle<AggregatorState>,
  ) {
    for (const handle of [input, update, state]) this.prepared.add(handle.id);
  }

  static async register(serde: AvroSerde, topics: AggregatorTopics): Promise<StreamCodec> {
    const [input, update, state] = await Promise.all([
      serde.register<EntityStreamRecord>(
        subjectFor(topics.input, 'value'),
        schemaOf('entity-extracted', 'value'),
      ),
      serde.register<ContactUpdateRequested>(
        subjectFor(topics.output, 'value'),
        schemaOf('contact-update-requested', 'value'),
      ),
      serde.register<AggregatorState>(
        subjectFor(topics.state, 'value'),
        schemaOf('aggregator-state', 'value'),
      ),
    ]);
    return new StreamCodec(serde, input, update, state);
  }

  /** Fetches the writer schemas of these buffers that are not cached yet. */
  async prepare(buffers: Iterable<Buffer | null>): Promise<void> {
    for (const buffer of buffers) {
      if (buffer === null) continue;
      const id = AvroSerde.schemaIdOf(buffer);
      if (this.prepared.has(id)) continue;
      await this.serde.prepare(buffer);
      this.prepared.add(id);
    }
  }

  decodeInput(buffer: Buffer): EntityStreamRecord {
    return this.serde.decode(buffer, this.input);
  }

  decodeState(buffer: Buffer): AggregatorState {
    return this.serde.decode(buffer, this.state);
  }

  encodeUpdate(update: ContactUpdateRequested): Buffer {
    return this.serde.encode(this.update, update);
  }

  encodeState(state: AggregatorState): Buffer {
    return this.serde.encode(this.state, state);
  }

  /**
   * The Avro body of a state this codec encoded, as a latin1 string: what StatePacker holds, so a
   * committed state is packed without encoding it a second time.
   */
  static bodyOf(framed: Buffer): string {
    return framed.toString('latin1', FRAME_HEADER_LENGTH);
  }
}
