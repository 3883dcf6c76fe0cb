// Test helpers of @crm/crm: an in-process Salesforce/Dataverse fake that speaks the documented wire
// protocol (status codes, error bodies, headers), for specs, int-specs and the benchmark.
export { FakeCrmServer, type FakeReply, type FakeRequest } from './testing/fake-crm.server';
export {
  FakeCrmState,
  type FakeFaults,
  type FieldChange,
  type FakeRecord,
  type LoggedRequest,
} from './testing/fake-crm.state';
