/// The objects an archival document or one with attachments adds to the file.
extension PDFWriter {
    /// Each file as an `/EmbeddedFile` stream and its file specification; returns the catalog
    /// entries (`/Names` with the `/EmbeddedFiles` tree, `/AF`), empty when there are none.
    mutating func writeEmbeddedFiles(_ files: [PDFEmbeddedFile]) -> String {
        guard !files.isEmpty else { return "" }
        var specifications: [(file: PDFEmbeddedFile, object: Int)] = []
        for file in files {
            let stream = newObject(), specification = newObject()
            let date = PDFSyntax.date(file.modificationDate)
            self.stream(stream, "/Type /EmbeddedFile /Subtype \(file.subtypeName) /Params << /ModDate (\(date)) /Size \(file.data.count) >>", file.data,
                        effort: .fast)
            object(specification, "<< /Type /Filespec /F \(PDFSyntax.literal(file.fileName)) /UF \(PDFSyntax.textString(file.fileName))"
                + " /Desc \(PDFSyntax.textString(file.description)) /AFRelationship /\(file.relationship.rawValue)"
                + " /EF << /F \(stream) 0 R /UF \(stream) 0 R >> >>")
            specifications.append((file, specification))
        }
        let tree = specifications.sorted { $0.file.keyBytes.lexicographicallyPrecedes($1.file.keyBytes) }
            .map { "\($0.file.key) \($0.object) 0 R" }.joined(separator: " ")
        let associated = specifications.map { "\($0.object) 0 R" }.joined(separator: " ")
        return " /Names << /EmbeddedFiles << /Names [\(tree)] >> >> /AF [\(associated)]"
    }

    /// The PDF/A output intent with the sRGB profile (ISO 19005-3 §6.2.3); returns the catalog entry.
    mutating func writeOutputIntent() -> String {
        let profile = newObject()
        stream(profile, "/N 3 /Filter /FlateDecode", SRGBProfile.compressed, raw: true)
        let condition = PDFSyntax.literal(SRGBProfile.conditionIdentifier)
        return " /OutputIntents [<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier \(condition) /Info \(condition)"
            + " /DestOutputProfile \(profile) 0 R >>]"
    }
}
