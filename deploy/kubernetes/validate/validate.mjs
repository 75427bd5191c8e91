// Schema check of deploy/kubernetes without a cluster: every document of the files given is
// validated against the Kubernetes API's OpenAPI schema (kubernetes-models) or the Prometheus
// Operator's CRD schema (@kubernetes-models/prometheus-operator). One line per document; exit 1
// if any is invalid or of a kind with no schema here.
//   node deploy/kubernetes/validate/validate.mjs FILE...        (after: npm ci in this folder)
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import * as core from "kubernetes-models/v1";
import * as apps from "kubernetes-models/apps/v1";
import * as rbac from "kubernetes-models/rbac.authorization.k8s.io/v1";
import * as monitoring from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";

const models = {
  "v1": core,
  "apps/v1": apps,
  "rbac.authorization.k8s.io/v1": rbac,
  "monitoring.coreos.com/v1": monitoring,
};
let bad = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length) {
      console.log(`invalid ${file}: ${doc.errors.map((e) => e.message).join("; ")}`);
      bad++;
      continue;
    }
    const obj = doc.toJS();
    if (!obj) continue;
    const Model = models[obj.apiVersion]?.[obj.kind];
    if (!Model) {
      console.log(`invalid ${file}: ${obj.apiVersion} ${obj.kind}: no schema here`);
      bad++;
      continue;
    }
    try {
      new Model(obj).validate();
      console.log(`ok ${file}: ${obj.kind} ${obj.metadata?.name}`);
    } catch (e) {
      console.log(`invalid ${file}: ${obj.kind} ${obj.metadata?.name}: ${e.message}`);
      bad++;
    }
  }
}
process.exit(bad ? 1 : 0);
