// Package workspacefake is an in-process HTTP server that implements the
// subset of the Google Sheets v4, Forms v1, Gmail v1 and Drive v3 REST APIs
// that mesa uses, with the same paths, verbs, JSON and error bodies, so the
// official clients talk to it unchanged:
//
//	s, _ := workspacefake.Open(dir)
//	opts := []option.ClientOption{option.WithHTTPClient(s.HTTPClient()), option.WithoutAuthentication()}
//	sheets.NewService(ctx, append(opts, option.WithEndpoint(s.URL()+"/"))...)       // forms, gmail too
//	drive.NewService(ctx, append(opts, option.WithEndpoint(s.URL()+"/drive/v3/"))...)
//
// # Persistence
//
// State lives under dir: state.json (snapshot), wal.jsonl (one line per
// applied mutation, written before the reply), drive/<id>/<name> (file
// bytes), mail/NNNNN-<id>.eml (sent mail) and LOCK (flock held while
// open). Open replays the log over the snapshot and compacts; Close
// snapshots. It survives kill -9 at any point: a write the client saw
// acknowledged is durable, a torn last log line is ignored. Power loss is
// another matter (the log is not fsynced per request).
//
// Requests are serialized by one mutex, which gives each request the
// atomicity Google promises (a batch applies completely or not at all).
//
// # Implemented
//
// Sheets: spreadsheets.create/get/batchUpdate (addSheet, deleteSheet,
// appendDimension, insertDimension, deleteDimension, updateSheetProperties,
// updateSpreadsheetProperties, addProtectedRange,
// deleteProtectedRange, setDataValidation, addConditionalFormatRule,
// deleteConditionalFormatRule, addFilterView, deleteFilterView,
// setBasicFilter, clearBasicFilter); values.get/batchGet/update/batchUpdate/
// append/clear/batchClear. Forms: forms.create/get/batchUpdate (createItem,
// updateFormInfo, updateSettings, deleteItem), responses.list/get. Gmail:
// users.messages.send (raw JSON or /upload), list (q: rfc822msgid:,
// in:sent), get (full, metadata, minimal, raw), users.getProfile. Drive:
// files.create/update (metadata, multipart, media and resumable uploads),
// get (alt=media), list, delete. The standard "fields" parameter works
// everywhere; Drive answers with kind,id,name,mimeType unless asked.
//
// Grids are strict, as Google's (FIDELITY.md, "Sheets: grid, cells and
// growth"): a tab created without a size gets 1,000 rows × 26 columns, a
// size given at creation is kept; a value write that reaches a cell past the
// grid is refused with 400 "Range (T!A1001) exceeds grid limits. Max rows:
// 1000, max columns: 26" and writes nothing of its batch; only
// appendDimension, insertDimension and values.append grow a grid; and a
// request that would take the spreadsheet over 10,000,000 cells (every
// cell of every grid, empty ones too) is refused with 400.
//
// # Known differences from Google
//
//   - Formulas are stored, not evaluated: every render option returns the
//     formula text. USER_ENTERED parses numbers, percentages, TRUE/FALSE
//     and dates the spreadsheet's locale reads (yyyy-MM-dd; d/M/yyyy, or
//     M/d/yyyy under en_US; with an optional time), which become serial
//     numbers; currencies, two-digit years and month names stay strings.
//     Numbers are formatted in the en_US "Automatic" style whatever the
//     locale, and dates as M/d/yyyy (en_US) or dd/MM/yyyy (any other).
//   - A read that starts past the grid is refused with 400 "exceeds grid
//     limits", as Google does (googleapis/sloth#1096); one that starts
//     inside the grid and ends past it is answered clipped. Google's exact
//     rule for the second kind is not documented (nithinmurali/pygsheets#124
//     shows refusals of ranges built from a stale grid size); mesa's paged
//     reads stay inside the grid sizes it has just read, and its other
//     reads are whole tabs and whole columns.
//   - INSERT_ROWS, insertDimension and deleteDimension do not shift
//     protected ranges, filter views or validation rules.
//   - values.append finds the table as the first non-empty row of the range
//     and the rows below it up to the first empty one.
//   - The sub-second part of a form response's timestamps is drawn by the
//     fake (Google's is its clock's); the filter's T must be RFC 3339
//     "Zulu" with 0 to 9 fractional digits. A new form does not collect
//     e-mail (Google's default for a consumer owner; a Workspace owner's
//     forms start VERIFIED).
//   - Forms responses are ordered by lastSubmittedTime then responseId, and
//     the timestamp filter applies to lastSubmittedTime. Only
//     "timestamp > T" and "timestamp >= T" are accepted.
//   - Gmail's daily limit counts the messages a mailbox sent in the 24
//     hours up to each send, as Google does, with the edge on the strict
//     side; the error is 429 rateLimitExceeded "Daily user sending limit
//     exceeded" (Google does not document 429 versus 403 for it).
//     Unsupported search terms are rejected with 400 rather than ignored.
//     messages.trash marks a message trashed; the fake checks no OAuth
//     scopes (Google needs gmail.modify for it), and trashed mail is never
//     purged after 30 days.
//   - Drive search supports only name, mimeType, trashed, modifiedTime,
//     createdTime and "'id' in parents", joined by "and"; anything else is
//     400 "Invalid Value". The default order is creation order. Uploading
//     content into Google types (conversion) is not supported.
//   - Query parameter names are not validated against the discovery
//     documents; unknown ones are ignored.
//   - Resumable upload sessions are kept in memory and do not survive a
//     restart.
//   - Developer metadata is kept on rows and columns only; a person's sort
//     (Server.EditRows) moves row metadata with its row (Google does not
//     say what a sort does: mesa relies only on IDs being unique and on
//     metadata going with a deleted row), and those moves are not in the
//     write-ahead log, so a fake restarted from its directory has the
//     metadata where it was before the edit. updateCells supports only
//     start with fields "userEnteredValue".
//   - Protected ranges are stored and returned but not enforced: the fake
//     has one user, the owner, who may edit them anyway.
package workspacefake
