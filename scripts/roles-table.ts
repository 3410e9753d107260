// Prints the roles table for the README (between the <!-- roles --> markers): npm run roles-table
import { rolesTable } from '../src/application/rolesTable.js';

console.log(rolesTable());
