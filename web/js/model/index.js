// The dashboard's model (docs/web.md, "The model"): every operation of the web pages, on the
// real HTTP API, with every record the server returns verified before it is used.
export { login, logout } from './session.js';
export { openFolder, findFolderKey } from './listing.js';
export { readFile, readAll, openVersion } from './read_file.js';
export { uploadFile, replaceContent, CHUNK_SIZE } from './upload_file.js';
export { PieceWorkers } from './piece_workers.js';
export { makeFolder, rename, move, remove } from './tree_ops.js';
export { listTrash, restoreFromTrash, purgeFromTrash } from './trash.js';
export { listVersions, restoreVersion } from './versions.js';
export { usage, listSessions, revokeSession, whois, trust } from './account.js';
export { share, unshare, sharedWithMe, listOutgoingShares } from './shares.js';
export { createLink, listLinks, revokeLink, linkInfo, openLink, parseLinkUrl, startLinkOpening } from './links.js';
