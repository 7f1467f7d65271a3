/**
 * CIM data models whose root dataset is named differently from the model, so that
 * `from datamodel=Network_Traffic` means the dataset `Network_Traffic.All_Traffic` and its fields are
 * written `All_Traffic.<field>` (Splunk CIM app data model definitions). `Endpoint` has no root
 * dataset: it must be named with its dataset (`Endpoint.Processes`).
 */

const ROOT_DATASETS: Record<string, string> = {
  Alerts: "Alerts",
  Authentication: "Authentication",
  Certificates: "All_Certificates",
  Change: "All_Changes",
  Compute_Inventory: "All_Inventory",
  Data_Access: "Data_Access",
  Databases: "All_Databases",
  DLP: "DLP_Incidents",
  Email: "All_Email",
  Event_Signatures: "Signatures",
  Interprocess_Messaging: "All_Interprocess_Messaging",
  Intrusion_Detection: "IDS_Attacks",
  Inventory: "All_Inventory",
  JVM: "JVM",
  Malware: "Malware_Attacks",
  Network_Resolution: "DNS",
  Network_Sessions: "All_Sessions",
  Network_Traffic: "All_Traffic",
  Performance: "All_Performance",
  Risk: "All_Risk",
  Ticket_Management: "All_Ticket_Management",
  Updates: "Updates",
  Vulnerabilities: "Vulnerabilities",
  Web: "Web",
};

/** `Model.Dataset` and the dataset's object name, or undefined when the model has no known root. */
export function resolveDataset(value: string): { dataset: string; object: string } | undefined {
  const parts = value.split(".");
  if (parts.length === 2 && parts[0] !== "" && parts[1] !== "") return { dataset: value, object: parts[1] };
  if (parts.length === 1) {
    // Own keys only: a model named `toString` or `constructor` has no root dataset.
    if (Object.hasOwn(ROOT_DATASETS, value)) {
      const root = ROOT_DATASETS[value];
      return { dataset: `${value}.${root}`, object: root };
    }
  }
  return undefined;
}
