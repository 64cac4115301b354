import Foundation

/// Writes a GGUF v3 file: metadata entries, tensor infos, then the aligned tensor data.
///
/// Used to export a model (a base with adapters folded in); the file is written to a temporary
/// name beside the target and renamed, so a failure never leaves a half-written model under the
/// target's name.
public struct GGUFWriter {
    /// One tensor to write: its GGUF dimensions (ne order), type and raw bytes.
    public struct Tensor {
        public var name: String
        public var dimensions: [Int]
        public var type: GGUFTensorType
        public var bytes: Data

        public init(name: String, dimensions: [Int], type: GGUFTensorType, bytes: Data) {
            self.name = name
            self.dimensions = dimensions
            self.type = type
            self.bytes = bytes
        }
    }

    public var metadata: [(key: String, value: GGUFValue)]
    public var tensors: [Tensor]
    public var alignment: Int

    public init(metadata: [(key: String, value: GGUFValue)], tensors: [Tensor], alignment: Int = 32) {
        self.metadata = metadata
        self.tensors = tensors
        self.alignment = alignment
    }

    /// Writes the file at `url` (atomically: a temporary file, then a rename).
    public func write(to url: URL) throws {
        var header = Data()
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { header.append(contentsOf: $0) } }
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { header.append(contentsOf: $0) } }
        func string(_ s: String) {
            u64(UInt64(s.utf8.count))
            header.append(contentsOf: Array(s.utf8))
        }
        func scalar<T: FixedWidthInteger>(_ v: T) {
            withUnsafeBytes(of: v.littleEndian) { header.append(contentsOf: $0) }
        }
        func array(_ items: GGUFArray) {
            u32(items.elementType.rawValue)
            u64(UInt64(items.count))
            switch items {
            case .uint8(let v): v.forEach(scalar)
            case .int8(let v): v.forEach(scalar)
            case .uint16(let v): v.forEach(scalar)
            case .int16(let v): v.forEach(scalar)
            case .uint32(let v): v.forEach(scalar)
            case .int32(let v): v.forEach(scalar)
            case .uint64(let v): v.forEach(scalar)
            case .int64(let v): v.forEach(scalar)
            case .float32(let v):
                for x in v { scalar(x.bitPattern) }
            case .float64(let v):
                for x in v { scalar(x.bitPattern) }
            case .bool(let v):
                for x in v { header.append(x ? 1 : 0) }
            case .string(let v): v.forEach(string)
            case .array(let v): v.forEach(array)
            }
        }
        func value(_ v: GGUFValue) {
            u32(v.type.rawValue)
            switch v {
            case .uint8(let x): scalar(x)
            case .int8(let x): scalar(x)
            case .uint16(let x): scalar(x)
            case .int16(let x): scalar(x)
            case .uint32(let x): scalar(x)
            case .int32(let x): scalar(x)
            case .uint64(let x): scalar(x)
            case .int64(let x): scalar(x)
            case .float32(let x): scalar(x.bitPattern)
            case .float64(let x): scalar(x.bitPattern)
            case .bool(let x): header.append(x ? 1 : 0)
            case .string(let x): string(x)
            case .array(let x): array(x)
            }
        }

        header.append(contentsOf: Array("GGUF".utf8))
        u32(3)
        u64(UInt64(tensors.count))
        u64(UInt64(metadata.count))
        for (key, entry) in metadata {
            string(key)
            value(entry)
        }
        func aligned(_ n: Int) -> Int { (n + alignment - 1) / alignment * alignment }
        var offset = 0
        for tensor in tensors {
            string(tensor.name)
            u32(UInt32(tensor.dimensions.count))
            for dimension in tensor.dimensions { u64(UInt64(dimension)) }
            u32(tensor.type.id)
            u64(UInt64(offset))
            offset = aligned(offset + tensor.bytes.count)
        }
        header.append(Data(count: aligned(header.count) - header.count))

        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: temporary.path])
        }
        let handle = try FileHandle(forWritingTo: temporary)
        do {
            try handle.write(contentsOf: header)
            for tensor in tensors {
                try handle.write(contentsOf: tensor.bytes)
                let padding = aligned(tensor.bytes.count) - tensor.bytes.count
                if padding > 0 { try handle.write(contentsOf: Data(count: padding)) }
            }
            try handle.synchronize()
            try handle.close()
            if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
            try FileManager.default.moveItem(at: temporary, to: url)
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}
