import Testing

@testable import LanguageModel

@Suite("What a loaded model keeps in memory")
struct ResidentMemoryTests {
    @Test("scratch blocks, mapped or from malloc, are aligned and writable", arguments: [100, 1 << 20])
    func scratchBlocks(byteCount: Int) {
        let block = ScratchBlock(byteCount: byteCount)
        #expect(Int(bitPattern: block.floats) % 64 == 0)
        let count = byteCount / 4
        block.floats.update(repeating: 1.5, count: count)
        #expect(block.floats[0] == 1.5 && block.floats[count - 1] == 1.5)
    }
}
