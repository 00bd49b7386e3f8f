// Opens a share link's sealed key with the browser module (web/js/crypto/link_seal.js) under
// Node, for test_links_cli.py: a link `coffer link` made opens in the browser's code too.
// stdin: {"url", "password": TEXT|null, "info": GET /v1/links/ID, "opened": POST .../open};
// stdout: {"kind", "node_id", "key": B64} or {"error": CODE}.
import '../../web/webcrypto.mjs';
import { readFileSync } from 'node:fs';

import { base64urlDecode, base64urlEncode } from '../../../web/js/crypto/base64url.js';
import { linkIkm, linkKdfParamsFromJson, linkSealKey, openLinkKey, parseLinkUrl } from '../../../web/js/crypto/link_seal.js';

const input = JSON.parse(readFileSync(0, 'utf8'));
try {
  const { linkIdBytes, secret } = parseLinkUrl(input.url);
  const params = input.info.password ? linkKdfParamsFromJson(input.info.password) : null;
  const ikm = await linkIkm(secret, input.info.password ? input.password : null, params);
  const sealKey = await linkSealKey(ikm, linkIdBytes);
  const target = await openLinkKey(sealKey, base64urlDecode(input.opened.sealed_key),
    { kind: input.opened.kind, nodeId: input.opened.node_id });
  process.stdout.write(JSON.stringify({ kind: target.kind, node_id: target.nodeId, key: base64urlEncode(target.key) }));
} catch (error) {
  process.stdout.write(JSON.stringify({ error: /** @type {any} */ (error).code ?? String(error) }));
}
