import Foundation

/// File names of downloads (`Invoice-INV-2026-0042.pdf`): the document's number with every
/// character unsafe in a file name or a `Content-Disposition` header replaced by `_`.
public enum DocumentFileName {
    public static func make(_ prefix: String, number: String, extension fileExtension: String) -> String {
        let safe = number.unicodeScalars.map { scalar -> Character in
            (scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "-_.".unicodeScalars.contains(scalar))) ? Character(scalar) : "_"
        }
        return "\(prefix)-\(String(safe)).\(fileExtension)"
    }
}
