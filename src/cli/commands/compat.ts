import { Option } from 'commander';
import { checkCompatibility, satisfies } from '../../data/compat/check.js';
import { loadSchemaFile } from '../../data/compat/load-schema.js';
import { renderCompatibility } from '../../data/compat/render.js';
import type { CliCommand } from '../command.js';

type Level = 'backward' | 'forward' | 'full' | 'none';

export const compatCommand: CliCommand = {
  name: 'compat',
  register(program, io, setExit) {
    program
      .command('compat <old> <new>')
      .description(
        'check Avro schema evolution from <old> to <new> (.avsc, an .avro file whose header holds the schema, or a dataset folder or prefix ending in / for its first .avro object; a path or an s3://, gs://, az://, abfss://, file:// URI, only the header read): BACKWARD / FORWARD / FULL / NONE, naming every incompatibility',
      )
      .addOption(
        new Option('--require <level>', 'exit 1 unless the verdict reaches this level')
          .choices(['backward', 'forward', 'full', 'none'])
          .default('backward'),
      )
      .option('--json', 'print the report as JSON: { verdict, backward, forward, required, pass }')
      .addHelpText('after', '\nExit codes: 0 the verdict meets --require, 1 it does not, 2 bad input (a missing file, not a schema).')
      .action(async (oldPath: string, newPath: string, opts: { require: Level; json?: boolean }) => {
        const [oldSchema, newSchema] = await Promise.all([loadSchemaFile(oldPath), loadSchemaFile(newPath)]);
        const report = checkCompatibility(oldSchema, newSchema);
        const pass = satisfies(report.verdict, opts.require);
        if (opts.json)
          io.out(JSON.stringify({ old: oldPath, new: newPath, ...report, required: opts.require.toUpperCase(), pass }, null, 2));
        else
          io.out(`${renderCompatibility(report, oldPath, newPath)}\n\nrequired: ${opts.require.toUpperCase()} → ${pass ? 'pass' : 'fail'}`);
        setExit(pass ? 0 : 1);
      });
  },
};
