import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';

import type { HeadroomDataSource } from './datasource';
import { QueryEditor } from './QueryEditor';
import type { HeadroomQuery } from './types';

function renderEditor(query: HeadroomQuery) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  render(
    <QueryEditor datasource={{} as HeadroomDataSource} query={query} onChange={onChange} onRunQuery={onRunQuery} />
  );
  return { onChange, onRunQuery };
}

describe('QueryEditor', () => {
  it('offers inventory, forecast and capacity, and the four inventory views', () => {
    renderEditor({ refId: 'A' });

    expect(screen.getByLabelText('Inventory')).toBeChecked();
    expect(screen.getByLabelText('Forecast')).toBeInTheDocument();
    expect(screen.getByLabelText('Capacity')).toBeInTheDocument();
    for (const view of ['Fleet', 'By GPU model', 'By namespace', 'Nodes']) {
      expect(screen.getByLabelText(view)).toBeInTheDocument();
    }
    expect(screen.getByLabelText('Fleet')).toBeChecked();
  });

  it('shows the capacity inputs for a capacity query, and a PromQL input only for the PromQL target', () => {
    renderEditor({ refId: 'A', queryType: 'capacity', target: 'expr', expr: 'sum(up)' });

    expect(screen.getByLabelText('PromQL expression')).toHaveValue('sum(up)');
    for (const label of ['Horizon (h)', 'Capacity (GPUs)', 'Target utilisation (%)', 'Cold start (h)']) {
      expect(screen.getByLabelText(label)).toBeInTheDocument();
    }
    expect(screen.queryByLabelText('Fleet')).not.toBeInTheDocument();
  });

  it('changes the view and runs the query at once', () => {
    const { onChange, onRunQuery } = renderEditor({ refId: 'A', queryType: 'inventory', inventoryView: 'fleet' });

    fireEvent.click(screen.getByLabelText('By namespace'));

    expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: 'inventory', inventoryView: 'byNamespace' });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('keeps filter text as typed (template variables included) and runs the query when the field is left', () => {
    const { onChange, onRunQuery } = renderEditor({ refId: 'A', node: '$node' });
    const gpuModel = screen.getByLabelText('GPU model filter');

    expect(screen.getByLabelText('Node filter')).toHaveValue('$node');
    fireEvent.change(gpuModel, { target: { value: '${gpu_model}' } });
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', node: '$node', gpuModel: '${gpu_model}' });
    expect(onRunQuery).not.toHaveBeenCalled();

    fireEvent.blur(gpuModel);
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });
});
