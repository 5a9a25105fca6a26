/**
 * What a file's bytes are, by their signature (the `file-type` library reads the first few
 * kilobytes, and into ZIP containers to tell .docx from .docm): its extension, or undefined when
 * no known signature matches (as for text). core/file-types decides whether that agrees with the name.
 */
export async function sniffFileType(content: Uint8Array): Promise<string | undefined> {
  if (content.length === 0) return undefined;
  // Loaded with the first upload, not with the server (~10 MB resident).
  const { fileTypeFromBuffer } = await import('file-type');
  return (await fileTypeFromBuffer(content))?.ext;
}
