/**
 * The WinRM lateral-movement pack (issue #8) as content: which loaded detections belong to it, and the
 * content set without them (`winnow hunt --no-pack`). The pack's detections are built-in YAML under
 * `content/detections/winrm_pack/`; what marks one is its name prefix `WinRM Pack - `, so a user tree
 * may override a pack detection by id and it stays part of the pack.
 */
import type { ContentSet, Detection } from "../content/index.js";

export const PACK_NAME_PREFIX = "WinRM Pack - ";

export function isPackDetection(d: Pick<Detection, "name">): boolean {
  return d.name.startsWith(PACK_NAME_PREFIX);
}

/** The same content without the pack's detections (macros stay: they are inert when nothing calls them). */
export function withoutPack(content: ContentSet): ContentSet {
  return { ...content, detections: content.detections.filter((d) => !isPackDetection(d)) };
}
