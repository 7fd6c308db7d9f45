do $$ begin create role diff_writer; exception when duplicate_object then null; end $$;
create table ledger (id int primary key, amount numeric);
create view ledger_view as select * from ledger;
grant select, update on ledger to diff_writer;
grant select (amount) on ledger to public;
grant select on ledger_view to diff_writer;
create sequence seq_a;
