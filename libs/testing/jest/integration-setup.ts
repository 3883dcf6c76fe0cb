// Runs in every integration test file: whatever a failed test left open is closed at the end.
import { stopOpenCollectors } from '../src/kafka-test-kit';

afterAll(async () => {
  await stopOpenCollectors();
});
