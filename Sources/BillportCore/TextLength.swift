extension StringProtocol {
    /// A text's length as every limit counts it: Unicode scalars (code points), as JSON Schema's
    /// `maxLength` does. `count` counts grapheme clusters, and one of those may carry any number
    /// of combining marks or emoji modifiers, so a 500-"character" limit let megabytes through.
    public var limitedLength: Int { unicodeScalars.count }
}
