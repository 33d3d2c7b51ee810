import ArgumentParser

struct SimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sim", abstract: "Run a simulated suite closed-loop.")
    func run() throws { throw ValidationError("sim: not built yet") }
}
