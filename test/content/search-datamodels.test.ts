/** Data models named by a search (metadata for listing; the SPL engine decides what runs). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { datamodelsOf } from "../../src/content/search-datamodels.js";

describe("datamodelsOf", () => {
  it("finds tstats, from and | datamodel forms, in order, once each", () => {
    assert.deepEqual(
      datamodelsOf(
        '| tstats count from datamodel=Endpoint.Processes where x | join [| tstats count from datamodel="Endpoint.Registry" by y] | join [| tstats count FROM datamodel = Endpoint.Processes]',
      ),
      ["Endpoint.Processes", "Endpoint.Registry"],
    );
    assert.deepEqual(datamodelsOf("| from datamodel:Identity_Management.All_Identities | stats count"), [
      "Identity_Management.All_Identities",
    ]);
    assert.deepEqual(datamodelsOf("| datamodel Endpoint Processes search | stats count"), [
      "Endpoint.Processes",
    ]);
    assert.deepEqual(datamodelsOf("| tstats count from datamodel=Web by Web.url"), ["Web"]);
    assert.deepEqual(datamodelsOf("index=main sourcetype=x"), []);
  });

  it("adds a bare YAML datamodel: entry only when the search does not name it", () => {
    assert.deepEqual(datamodelsOf("| tstats count from datamodel=Endpoint.Processes", ["Endpoint"]), [
      "Endpoint.Processes",
    ]);
    assert.deepEqual(datamodelsOf("index=main", ["Endpoint"]), ["Endpoint"]);
  });
});
