/** @jest-environment node */
import { readFileSync } from 'node:fs';

import { DESCRIPTOR_PATH, protoDescriptor } from '../../scripts/protoDescriptor';

import { protocolServices } from './protocol';

/**
 * The bytes on the wire are what Grafana's client reads, so they are checked against protobuf's encoding rules worked
 * out by hand: a key byte is (field number << 3) | wire type, wire type 0 for varints and enums, 2 for bytes,
 * strings and nested messages; a length-delimited value is its length as a varint, then its bytes.
 */
describe('plugin protocol v2 as written in src/backend/proto', () => {
  const services = protocolServices();

  test('method paths are the ones go-plugin and the SDK call', () => {
    expect(services.data.QueryData.path).toBe('/pluginv2.Data/QueryData');
    expect(services.diagnostics.CheckHealth.path).toBe('/pluginv2.Diagnostics/CheckHealth');
    expect(services.diagnostics.CollectMetrics.path).toBe('/pluginv2.Diagnostics/CollectMetrics');
    expect(services.resource.CallResource.path).toBe('/pluginv2.Resource/CallResource');
    expect(services.resource.CallResource.responseStream).toBe(true);
    expect(services.health.Check.path).toBe('/grpc.health.v1.Health/Check');
    expect(services.controller.Shutdown.path).toBe('/plugin.GRPCController/Shutdown');
  });

  test('CheckHealthResponse: status OK is field 1 = 1, message field 2', () => {
    const bytes = services.diagnostics.CheckHealth.responseSerialize({ status: 'OK', message: 'x' });
    // 0x08 = field 1 varint, 0x01 = OK; 0x12 = field 2 length-delimited, length 1, 'x' = 0x78.
    expect([...bytes]).toEqual([0x08, 0x01, 0x12, 0x01, 0x78]);
  });

  test('CheckHealthRequest: the settings are PluginContext field 5, their JSON field 8, secrets field 9', () => {
    // PluginContext (field 1 of the request, key 0x0a) holding DataSourceInstanceSettings (field 5, key 0x2a) with
    // jsonData '{}' (field 8, key 0x42) and one secret {a: b} (field 9, key 0x4a; a map entry has key field 1, value field 2).
    const secretEntry = [0x0a, 0x01, 0x61, 0x12, 0x01, 0x62];
    const settings = [0x42, 0x02, 0x7b, 0x7d, 0x4a, secretEntry.length, ...secretEntry];
    const context = [0x2a, settings.length, ...settings];
    const wire = Buffer.from([0x0a, context.length, ...context]);
    const decoded = services.diagnostics.CheckHealth.requestDeserialize(wire);
    const instance = decoded.pluginContext.dataSourceInstanceSettings;
    expect(instance.jsonData.toString()).toBe('{}');
    expect(instance.decryptedSecureJsonData).toEqual({ a: 'b' });
  });

  test('DataQuery: refId 1, timeRange 4 (from 1, to 2), json 5, queryType 6', () => {
    const timeRange = [0x08, 0x02, 0x10, 0x03]; // from = 2, to = 3
    const query = [0x0a, 0x01, 0x41, 0x22, timeRange.length, ...timeRange, 0x2a, 0x02, 0x7b, 0x7d, 0x32, 0x01, 0x69];
    const wire = Buffer.from([0x1a, query.length, ...query]); // queries: field 3 of QueryDataRequest
    const decoded = services.data.QueryData.requestDeserialize(wire);
    expect(decoded.queries).toHaveLength(1);
    const [first] = decoded.queries;
    expect(first.refId).toBe('A');
    expect(first.timeRange).toEqual({ fromEpochMs: 2, toEpochMs: 3 });
    expect(first.json.toString()).toBe('{}');
    expect(first.queryType).toBe('i');
  });

  test('QueryDataResponse: responses map field 1 keyed by refId, frames field 1 of DataResponse, error field 2', () => {
    const bytes = services.data.QueryData.responseSerialize({ responses: { A: { frames: [], error: 'e' } } });
    const response = [0x12, 0x01, 0x65]; // error 'e'
    const entry = [0x0a, 0x01, 0x41, 0x12, response.length, ...response]; // key 'A', value DataResponse
    expect([...bytes]).toEqual([0x0a, entry.length, ...entry]);
  });

  test('Health: SERVING is 1', () => {
    expect([...services.health.Check.responseSerialize({ status: 'SERVING' })]).toEqual([0x08, 0x01]);
  });
});

describe('proto/protocol.json, the definitions the backend loads', () => {
  test('is the .proto files as parsed now (`npx tsx scripts/protoDescriptor.ts` rewrites it)', () => {
    expect(JSON.parse(readFileSync(DESCRIPTOR_PATH, 'utf8'))).toEqual(protoDescriptor());
  });
});
