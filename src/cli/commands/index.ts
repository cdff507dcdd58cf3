// Every `paylens` command, in the order `paylens help` lists them.
import type { Command } from '../command';
import { configCommand } from './config';
import { deliveriesCommand } from './deliveries';
import { demoCommand } from './demo';
import { endpointsCommand } from './endpoints';
import { importCommand } from './import';
import { exportCommand } from './export';
import { paymentsCommand } from './payments';
import { reportCommand } from './report';
import { serveCommand } from './serve';

export const commands: Command[] = [serveCommand, endpointsCommand, deliveriesCommand, paymentsCommand, importCommand, reportCommand, exportCommand, demoCommand, configCommand];
